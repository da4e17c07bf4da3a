"""All file input and output of baocao lives in this package.

Computing modules take and return DataFrames, Figures or strings; only the
functions here touch the file system.
"""
