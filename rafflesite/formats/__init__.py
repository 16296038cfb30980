"""Date formats of our own, where Django's for a language misleads.

settings.FORMAT_MODULE_PATH points here; a language without a module here,
and any format a module leaves out, keeps Django's.
"""
