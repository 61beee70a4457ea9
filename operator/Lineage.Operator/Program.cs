Console.Error.WriteLine("lineage-operator: not built yet"); return 2;
