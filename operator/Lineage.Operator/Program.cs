if (Lineage.Operator.EntryPoint.RunCommand(args) is int exitCode) return exitCode;
Console.Error.WriteLine("lineage-operator: not built yet"); return 2;
