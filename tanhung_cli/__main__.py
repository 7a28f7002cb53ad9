from tanhung_cli.cli import main

main()
