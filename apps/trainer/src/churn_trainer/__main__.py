from churn_trainer.cli import main

raise SystemExit(main())
