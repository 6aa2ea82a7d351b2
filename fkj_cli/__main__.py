from fkj_cli.cli import main

main()
