if (Lineage.Operator.EntryPoint.RunCommand(args) is int exitCode) return exitCode;
return await Lineage.Operator.Hosting.OperatorHost.MainAsync(args);
