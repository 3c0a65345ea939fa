"""The sketch library's doors to the file system and its grid: importing.py brings sketches in (files,
folders, starters), exporting.py writes one out (.js, .png, standalone .html), entries.py lists them."""
