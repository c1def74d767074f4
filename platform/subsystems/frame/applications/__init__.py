"""Frame-use applications (母集団利用申請及び提供, FRAME-2/3): apply, review, extract, sample, deliver."""
