"""`fkj preview`: the document an editor is working on, in the browser, updated as the files are saved.

:mod:`fkj_cli.preview.render` renders one document from the working tree
into HTML in memory (pandoc, from the Markdown fkj converts, with its
charts), with the content's problems that concern it;
:mod:`fkj_cli.preview.server` serves it on the loopback interface and
pushes each new rendering to the open page with server-sent events when a
content or template file changes (watched with watchfiles).
"""
