from kizashi.cli import main

main()
