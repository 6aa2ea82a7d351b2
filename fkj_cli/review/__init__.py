"""`fkj review import`: reviewers' Word comments and tracked changes, back to the content they concern.

:mod:`fkj_cli.review.docx` reads what a reviewer did to a DOCX (as Word and
LibreOffice write it); :mod:`fkj_cli.review.importer` finds the content text
behind each change and comment, applies what can be applied safely, and
reports the rest with the reason.
"""
