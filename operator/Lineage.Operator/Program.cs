return await Lineage.Operator.Hosting.OperatorHost.MainAsync(args);
