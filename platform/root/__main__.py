from govstat.platform.root.cli import main

main()
