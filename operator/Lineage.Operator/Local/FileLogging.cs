using Microsoft.Extensions.Logging;

namespace Lineage.Operator.Local;

/// <summary>Local mode's logs go to one file (the terminal shows the lineages): timestamp, level, category, message.</summary>
public sealed class FileLogging : ILoggerProvider
{
    readonly StreamWriter _writer;
    readonly Lock _gate = new();

    FileLogging(string path) => _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };

    public static ILoggerFactory Create(string path) => LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Information).AddProvider(new FileLogging(path)));

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    void Write(string line)
    {
        lock (_gate) _writer.WriteLine(line);
    }

    public void Dispose()
    {
        lock (_gate) _writer.Dispose();
    }

    sealed class Logger(FileLogging owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            owner.Write($"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {logLevel,-11} {category}: {formatter(state, exception)}" + (exception is null ? "" : $"\n{exception}"));
        }
    }
}
