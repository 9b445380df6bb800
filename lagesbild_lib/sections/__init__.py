"""One module per chapter: functions that take a :class:`~lagesbild_lib.context.ChapterContext`
and return pieces to show (tables, charts, text, or a plain note of what is missing)."""
