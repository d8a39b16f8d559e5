from newsclf.cli import main

main()
