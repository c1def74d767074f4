"""地域統計分析システム: regional statistics (REGION-1): an indicator catalogue in the manner of
社会・人口統計体系 drawn from published statdb tables, time series on today's boundaries that survive
municipal mergers, comparisons, rankings and maps."""
