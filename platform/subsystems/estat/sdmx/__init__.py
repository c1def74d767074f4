"""SDMX-REST beside the e-Stat API (ESTAT-5, ISSUE-14 §4): each published table as a dataflow with
its data structure, codelists and concepts, and its observations in SDMX-ML, SDMX-JSON and SDMX-CSV."""
