return await Lineage.Operator.Hosting.OperatorCommand.Create().Parse(args).InvokeAsync();
