"""The condition language of rules.yaml and the positions its errors point at.

The bottom layer of the core: the questionnaire (show-ifs) and the rules (flags) both use it,
and it imports neither of them.
"""
