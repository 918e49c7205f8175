from tools.import_wix.command import main

main()
