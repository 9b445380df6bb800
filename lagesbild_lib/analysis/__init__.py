"""The analysis: statistics and the numbers of each subject (crime, survey, population, weekly
assessments, indicators, cooperation areas), disclosure control and the tables as the reader sees them.
Works on DataFrames in a plain Python session; never reads files, never draws."""
