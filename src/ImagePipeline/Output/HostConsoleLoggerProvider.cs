using Microsoft.Extensions.Logging;

namespace ImagePipeline.Output;

/// <summary>Writes log lines to the host console (and so through the redactor), one line each, with the level when it matters.</summary>
internal sealed class HostConsoleLoggerProvider(HostConsole console, LogLevel minimumLevel, bool showStackTraces) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new HostConsoleLogger(console, minimumLevel, showStackTraces);

    public void Dispose()
    {
    }

    private sealed class HostConsoleLogger(HostConsole console, LogLevel minimumLevel, bool showStackTraces) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimumLevel && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var prefix = logLevel switch
            {
                LogLevel.Warning => "warning: ",
                LogLevel.Error or LogLevel.Critical => "error: ",
                LogLevel.Debug or LogLevel.Trace => "debug: ",
                _ => string.Empty,
            };
            var line = "  " + prefix + formatter(state, exception);
            if (exception is not null && showStackTraces)
            {
                line += Environment.NewLine + exception;
            }

            if (logLevel >= LogLevel.Warning)
            {
                console.WriteError(line);
            }
            else
            {
                console.WriteLine(line);
            }
        }
    }
}
