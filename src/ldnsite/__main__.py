from ldnsite.cli import main

main()
