from mtaudit.cli.app import main

main()
