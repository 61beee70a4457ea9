Console.Error.WriteLine("lineage-trainer: not built yet"); return 2;
