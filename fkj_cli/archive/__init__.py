"""Fiks Arkiv: the mailing as a message for a Noark 5 archive, and the archive's receipt back.

- :func:`fkj_cli.archive.package.package` (`fkj package`): build a municipality's
  mailing and write it as a ``no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett``
  message with its files, a folder and a zip, for the municipality's archive or the sender's.
- :func:`fkj_cli.archive.receipt.import_receipts` (`fkj receipt import`): read the
  archives' receipts (``arkivmelding-kvittering.xml``) and record the case and journal
  post numbers they assigned in content, so that the next package files into that case.

:mod:`~fkj_cli.archive.codes` has the namespaces and the codes fkj writes,
:mod:`~fkj_cli.archive.message` the message and its XML, :mod:`~fkj_cli.archive.schema`
the receipt's schema as fkj checks it. Nothing here sends, signs or encrypts anything:
the packages are files for whoever hands them to the archive. (Like fkj's other
packages, this one imports none of its modules, so that each is loaded only when used.)
"""
