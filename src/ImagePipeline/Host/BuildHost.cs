using ImagePipeline.Abstractions;
using ImagePipeline.Aws;
using ImagePipeline.Cloud;
using ImagePipeline.Demo;
using ImagePipeline.Output;
using ImagePipeline.Targets;
using ImagePipeline.Bundling;
using ImagePipeline.Core.Engine;
using ImagePipeline.Core.Parameters;
using ImagePipeline.Core.Planning;
using ImagePipeline.Core.Plugins;
using ImagePipeline.Core.Runs;
using ImagePipeline.Core.Sessions;
using ImagePipeline.Instances;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImagePipeline.Host;

/// <summary>
/// The console host: reads the command line as Nuke does, loads the strategy plugins, resolves and validates every
/// parameter, then plans, runs or resumes the chosen target and prints the summary.
/// </summary>
internal sealed class BuildHost(HostEnvironment environment)
{
    private readonly SecretRedactor _redactor = new();
    private HostConsole? _console;
    private bool _verbose;

    private HostConsole Console => _console ??= new HostConsole(environment.Out, environment.Error, _redactor);

    /// <summary>The host's own parameters: its switches, the AWS wiring's and those the targets declare (strategies add theirs).</summary>
    public static IReadOnlyList<ParameterDefinition> Parameters { get; } = [.. HostParameters.All, .. AwsParameters.All, .. BuildTargets.Parameters];

    public static Task<int> RunAsync(string[] args, HostEnvironment environment, CancellationToken cancellationToken) =>
        new BuildHost(environment).RunAsync(args, cancellationToken);

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var gitHub = new GitHubActions(environment.Variables);
        try
        {
            return await RunCheckedAsync(args, gitHub, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Console.WriteError("Cancelled.");
            return ExitCode.Cancelled;
        }
        catch (PipelineException exception)
        {
            foreach (var line in exception.Message.Split(Environment.NewLine))
            {
                Console.WriteError($"error: {line}");
                if (gitHub.IsActive)
                {
                    Console.WriteLine(GitHubActions.Error("ImagePipeline", line));
                }
            }

            if (_verbose)
            {
                Console.WriteError(exception.ToString());
            }

            return exception.Kind == PipelineErrorKind.Input ? ExitCode.UsageError : ExitCode.TargetFailed;
        }
        catch (Exception exception)
        {
            // Whatever else throws (AWS unreachable, a plugin's bug, a file that cannot be written): one line and exit 1.
            var line = FailureLine.Describe(exception);
            Console.WriteError($"error: {line}" + (_verbose ? Environment.NewLine + exception : " (run with --verbose for details)"));
            if (gitHub.IsActive)
            {
                Console.WriteLine(GitHubActions.Error("ImagePipeline", line));
            }

            return ExitCode.TargetFailed;
        }
    }

    /// <summary>Resolve (command line, files, plugins, parameters), then plan and run the chosen target.</summary>
    private async Task<int> RunCheckedAsync(string[] args, GitHubActions gitHub, CancellationToken cancellationToken)
    {
        var commandLine = CommandLine.Parse(args);
        var inputs = ReadInputs(commandLine, out var plugins);
        var cloud = new CloudConnectionHolder();
        await using var session = OpenSession(plugins, cloud, gitHub);
        var resolved = session.ResolveParameters(inputs);
        RegisterSecrets(resolved.SecretValues, gitHub);
        if (resolved.GetOrDefault(HostParameters.Version))
        {
            Console.WriteLine(ProductVersion.Text);
            return ExitCode.Success;
        }

        if (resolved.GetOrDefault(HostParameters.Help) || (commandLine.Targets.Count == 0 && commandLine.Options.Count == 0))
        {
            // Focused on the strategies of the backing store and platform the user named, when they named one.
            var focus = resolved.IsSet(CommonParameters.BackingStore) || resolved.IsSet(CommonParameters.Platform)
                ? (Func<IImageStrategy, bool>)(strategy =>
                    (!resolved.IsSet(CommonParameters.BackingStore) || strategy.Key.BackingStore == resolved.Get(CommonParameters.BackingStore))
                    && (!resolved.IsSet(CommonParameters.Platform) || strategy.Key.Platform == resolved.Get(CommonParameters.Platform)))
                : null;
            WriteLines(HelpWriter.Lines(session.Catalog, session.Strategies, focus));
            return ExitCode.Success;
        }

        var target = ChooseTarget(commandLine);
        // Everything that can be checked without the cloud is reported together (a resumed run's checks wait for its saved values).
        if (resolved.Errors.Count > 0)
        {
            ThrowIfInvalid(target is PipelineStageTarget or ValidateTarget && !resolved.IsSet(HostParameters.Resume) ? [.. resolved.Errors, .. RunPrerequisiteProblems(resolved, gitHub)] : resolved.Errors);
        }

        return target switch
        {
            UtilityTarget utility => await utility.RunAsync(new UtilityContext(environment, Console, session.Services, session.Catalog, _verbose), resolved, cancellationToken),
            PipelineStageTarget stage => await RunPipelineAsync(stage.Stage, session, inputs, resolved, cloud, gitHub, validateOnly: false, cancellationToken),
            ValidateTarget => await RunPipelineAsync(PipelineTarget.RegisterImage, session, inputs, resolved, cloud, gitHub, validateOnly: true, cancellationToken),
            _ => throw new InvalidOperationException($"Target {target.Name} is neither a pipeline stage nor a utility target."),
        };
    }

    /// <summary>
    /// The command line, the environment, <c>.nuke/parameters.json</c> and the <c>--profile</c> file; also the plugins to
    /// load and <c>--verbose</c>, which are needed before the full catalog exists (plugins add parameters to it).
    /// </summary>
    private ParameterInputs ReadInputs(CommandLine commandLine, out IReadOnlyList<LoadedPlugin> plugins)
    {
        var nukeFolder = Path.Combine(environment.RootDirectory, ".nuke");
        var baseFile = ParametersFile.Load(Path.Combine(nukeFolder, "parameters.json"));
        var hostCatalog = new ParameterCatalog(HostParameters.All);
        var inputs = new ParameterInputs(commandLine, environment.Variables, baseFile, null);
        var early = ParameterResolver.Resolve(hostCatalog, inputs);
        _verbose = early.GetOrDefault(HostParameters.Verbose);
        if (early.GetOrDefault(HostParameters.ParametersFile) is { } given)
        {
            var givenPath = environment.FullPath(given);
            if (FileKinds.Of(givenPath) == FileKind.Missing)
            {
                throw PipelineException.Input($"--parameters-file {given}: {givenPath} does not exist; give the path of a JSON parameters file, relative to the current folder.");
            }

            inputs = inputs with { GivenFile = ParametersFile.Load(givenPath, isShared: false) };
            early = ParameterResolver.Resolve(hostCatalog, inputs);
        }

        if (early.GetOrDefault(HostParameters.Profile) is { } profile)
        {
            var profilePath = Path.Combine(nukeFolder, $"parameters.{profile}.json");
            if (FileKinds.Of(profilePath) == FileKind.Missing)
            {
                throw PipelineException.Input($"--profile {profile}: {profilePath} does not exist; create it, or leave out --profile.");
            }

            inputs = inputs with { ProfileFile = ParametersFile.Load(profilePath) };
            early = ParameterResolver.Resolve(hostCatalog, inputs);
        }

        plugins = new PluginLoader().Load(environment.PluginsFolder, (early.GetOrDefault(HostParameters.Plugins) ?? []).Select(environment.FullPath));
        return inputs;
    }

    private PipelineSession OpenSession(IReadOnlyList<LoadedPlugin> plugins, CloudConnectionHolder cloud, GitHubActions gitHub)
    {
        var session = PipelineSession.Create(
            plugins.SelectMany(plugin => plugin.EntryPoints),
            Parameters,
            services => ConfigureServices(services, cloud, gitHub),
            plugins.Where(plugin => plugin.IsBuiltIn).Select(plugin => plugin.AssemblyPath).ToHashSet(StringComparer.Ordinal));
        foreach (var notice in session.Strategies.Notices)
        {
            Console.WriteLine($"notice: {notice}");
            if (gitHub.IsActive)
            {
                Console.WriteLine(GitHubActions.Notice(notice));
            }
        }

        return session;
    }

    /// <summary>
    /// Plan the pipeline up to <paramref name="stage"/> (resumed, or with the offline demo's material), then open the cloud
    /// and run it, or only validate it (<paramref name="validateOnly"/>: the Validate target).
    /// </summary>
    private async Task<int> RunPipelineAsync(
        PipelineTarget stage,
        PipelineSession session,
        ParameterInputs inputs,
        ResolvedParameters resolved,
        CloudConnectionHolder cloud,
        GitHubActions gitHub,
        bool validateOnly,
        CancellationToken cancellationToken)
    {
        var isDemo = false;
        RunRecord? resumed = null;
        if (resolved.IsSet(HostParameters.Resume))
        {
            resumed = session.FindRunToResume(resolved.Get(HostParameters.Resume), resolved.DescribeSetValues(), stage.ToString());
            resolved = session.ResolveParameters(inputs, resumed.Parameters, ParameterSource.ResumedRun);
        }
        else if (OfflineDemo.Applies(resolved, resolved.Get(AwsParameters.Cloud) == CloudKind.Local, name => session.Catalog.Find(name) is { } p && resolved.IsSet(p)))
        {
            resolved = session.ResolveParameters(inputs, OfflineDemo.Defaults(environment.RootDirectory, LocalCloudAccount.AccountId), ParameterSource.DemoDefaults);
            isDemo = true;
            Console.WriteLine("Offline demo: baking a sample image against the local cloud with throw-away DEMO-ONLY keys (.nuke/temp/demo/); no AWS account is used.");
        }

        ThrowIfInvalid([.. resolved.Errors, .. RunPrerequisiteProblems(resolved, gitHub)]);
        RegisterSecrets(resolved.SecretValues, gitHub);
        var plan = session.Plan(stage, resolved);
        if (resolved.Get(HostParameters.Plan))
        {
            WriteLines(PlanWriter.Lines(plan));
            if (resolved.GetOrDefault(HostParameters.OutputJson) is { } planJson)
            {
                WriteFile(planJson, PlanJsonFile.Render(plan, resolved));
            }

            return ExitCode.Success;
        }

        if (isDemo)
        {
            // Made only now that a run needs it: --plan writes nothing.
            OfflineDemo.MakeMaterial(environment.RootDirectory);
        }

        var isLocalCloud = resolved.Get(AwsParameters.Cloud) == CloudKind.Local;
        WarnOfLocalCloudByDefault(resolved, gitHub);

        var loggerFactory = session.Services.GetRequiredService<ILoggerFactory>();
        await using var connection = await CloudConnection.OpenAsync(resolved, environment.RootDirectory, environment.LocalCloudExecutable, _verbose, loggerFactory, cancellationToken);
        cloud.Connection = connection;
        RegisterSecrets(connection.Secrets, gitHub);
        Console.WriteLine($"Strategy {plan.Key}, target {(validateOnly ? "Validate" : plan.Targets[^1].Target)}, region {connection.Settings.Region}, "
            + (isLocalCloud ? LocalCloudNotice.Header(connection.Server?.Endpoint ?? connection.Settings.ServiceUrl) : connection.Settings.ServiceUrl is { } url ? $"endpoint {url}" : "AWS"));
        if (validateOnly)
        {
            ThrowIfInvalid(await session.ValidateAsync(plan, resolved, cancellationToken));
            Console.WriteLine($"Valid: every parameter and cloud check of {plan.Key} up to {plan.Targets[^1].Target} passed; nothing was created.");
            if (resolved.GetOrDefault(HostParameters.OutputJson) is { } validationJson)
            {
                WriteFile(validationJson, OutputJsonFile.RenderValidation(plan.Key.ToString(), isLocalCloud));
            }

            return ExitCode.Success;
        }

        var result = await session.ExecuteAsync(plan, resolved, resumed, cancellationToken);
        return Report(result, plan, resolved, isLocalCloud, gitHub);
    }

    private static void ThrowIfInvalid(IReadOnlyList<string> problems)
    {
        if (problems.Count > 0)
        {
            throw new ValidationFailedException(problems);
        }
    }

    private void WriteLines(IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            Console.WriteLine(line);
        }
    }

    /// <summary>
    /// What must hold before a run starts and needs no cloud call: the files written at the end can be written, --cloud is
    /// explicit inside GitHub Actions, and --cloud aws has credentials and a region.
    /// </summary>
    private List<string> RunPrerequisiteProblems(ResolvedParameters parameters, GitHubActions gitHub)
    {
        if (parameters.GetOrDefault(HostParameters.Plan))
        {
            return [];
        }

        var destinations = new List<(string, string)>();
        if (parameters.GetOrDefault(HostParameters.OutputJson) is { } outputJson)
        {
            destinations.Add(("--output-json", environment.FullPath(outputJson)));
        }

        if (gitHub.IsActive)
        {
            destinations.AddRange(new[] { ("GITHUB_OUTPUT", gitHub.OutputFile), ("GITHUB_STEP_SUMMARY", gitHub.SummaryFile) }
                .Where(file => !string.IsNullOrEmpty(file.Item2))
                .Select(file => (file.Item1, environment.FullPath(file.Item2!))));
        }

        var problems = OutputDestinations.Problems(destinations).ToList();
        if (gitHub.IsActive && !parameters.IsSet(AwsParameters.Cloud))
        {
            problems.Add(LocalCloudNotice.GitHubActionsNeedsCloud);
        }

        if (parameters.Get(AwsParameters.Cloud) == CloudKind.Aws)
        {
            problems.AddRange(AwsSetupProblems.Find(parameters.GetOrDefault(AwsParameters.Profile), parameters.GetOrDefault(CommonParameters.Region)));
        }

        return problems;
    }

    private void WarnOfLocalCloudByDefault(ResolvedParameters parameters, GitHubActions gitHub)
    {
        var given = LocalCloudNotice.RealInputs
            .Where(name => parameters.Catalog.Find(name) is { } definition
                && parameters.SourceOf(definition) is ParameterSource.CommandLine or ParameterSource.Environment or ParameterSource.GivenFile or ParameterSource.ProfileFile or ParameterSource.ParametersFile)
            .ToArray();
        if (parameters.IsSet(AwsParameters.Cloud) || given.Length == 0)
        {
            return;
        }

        var warning = LocalCloudNotice.Warning(given);
        Console.WriteError(warning);
        if (gitHub.IsActive)
        {
            Console.WriteLine(GitHubActions.Warning(warning["warning: ".Length..]));
        }
    }

    private int Report(RunResult result, ExecutionPlan plan, IParameterValues parameters, bool isLocalCloud, GitHubActions gitHub)
    {
        foreach (var line in SummaryTable.Lines(result, isLocalCloud))
        {
            Console.WriteLine(line);
        }

        if (result.Outputs.Count > 0)
        {
            foreach (var (name, value) in result.Outputs)
            {
                Console.WriteLine($"  {name}: {value}");
            }
        }

        if (parameters.GetOrDefault(HostParameters.OutputJson) is { } outputJson)
        {
            WriteFile(outputJson, OutputJsonFile.Render(result, plan.Key.ToString(), plan.Targets[^1].Target.ToString(), isLocalCloud));
        }

        if (gitHub.IsActive)
        {
            // Step outputs are machine-readable and hold no secret, so they are not masked (masking would corrupt them).
            var outputs = result.Outputs.ToDictionary(StringComparer.Ordinal);
            if (outputs.TryGetValue(WellKnownOutputs.ImageId, out var imageId) && !outputs.ContainsKey(WellKnownOutputs.ImageIds))
            {
                outputs[WellKnownOutputs.ImageIds] = $"{{\"{outputs.GetValueOrDefault(WellKnownOutputs.Region, parameters.GetOrDefault(CommonParameters.Region) ?? "us-east-1")}\":\"{imageId}\"}}";
            }

            gitHub.WriteOutputs(outputs);
            gitHub.WriteSummary(_redactor.Redact(SummaryTable.Markdown(result, plan.Key.ToString(), isLocalCloud)));
        }

        if (result.Failure is { } failure && _verbose && failure is not PipelineException)
        {
            Console.WriteError(failure.ToString());
        }

        return result.Outcome switch
        {
            // A cleanup that failed may have left a staged key or a resource behind: that is a failure, whatever the run did.
            RunOutcome.Succeeded when result.CleanupFailures.Count > 0 => ExitCode.TargetFailed,
            RunOutcome.Succeeded => ExitCode.Success,
            RunOutcome.Cancelled => ExitCode.Cancelled,
            _ => ExitCode.TargetFailed,
        };
    }

    private void WriteFile(string path, string content)
    {
        var fullPath = environment.FullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        File.WriteAllText(fullPath, content);
    }

    private static BuildTarget ChooseTarget(CommandLine commandLine)
    {
        if (commandLine.Targets.Count == 0)
        {
            throw PipelineException.Input($"Name a target first, for example ./build.sh RegisterImage --plan; valid targets: {string.Join(", ", BuildTargets.All.Select(t => t.Name))}.");
        }

        var stages = new List<PipelineStageTarget>();
        foreach (var target in commandLine.Targets.Select(BuildTargets.Find))
        {
            if (target is UtilityTarget or ValidateTarget)
            {
                return commandLine.Targets.Count == 1 ? target : throw PipelineException.Input($"{target.Name} runs alone; give it without other targets.");
            }

            stages.Add((PipelineStageTarget)target);
        }

        // Each target runs the ones before it, so naming several is the same as naming the last of them.
        return stages.MaxBy(target => PipelineTargetOrder.IndexOf(target.Stage))!;
    }

    private void ConfigureServices(IServiceCollection services, CloudConnectionHolder cloud, GitHubActions gitHub)
    {
        services.AddSingleton(environment.TimeProvider);
        services.AddLogging(logging => logging
            .ClearProviders()
            .AddProvider(new HostConsoleLoggerProvider(Console, _verbose ? LogLevel.Debug : LogLevel.Information, _verbose))
            .SetMinimumLevel(_verbose ? LogLevel.Debug : LogLevel.Information)
            .AddFilter("Microsoft", LogLevel.Warning)
            .AddFilter("System", LogLevel.Warning));
        services.AddSingleton<IProgressReporter>(new ConsoleProgressReporter(Console, environment.TimeProvider));
        services.AddSingleton<IRunObserver>(new ConsoleRunObserver(Console, gitHub, _verbose));
        services.AddSingleton(new RunStore(Path.Combine(environment.RootDirectory, ".nuke", "temp", "runs"), environment.TimeProvider));
        services.AddImageBundler();
        services.AddSingleton(cloud);
        services.AddSingleton(provider => provider.GetRequiredService<CloudConnectionHolder>().Settings);
        services.AddAwsCloud();
        services.AddRemoteShell();
    }

    private void RegisterSecrets(IEnumerable<string> secrets, GitHubActions gitHub)
    {
        var fresh = secrets.Where(secret => !_redactor.Secrets.Contains(secret)).ToArray();
        if (fresh.Length == 0)
        {
            return;
        }

        if (gitHub.IsActive)
        {
            foreach (var secret in fresh)
            {
                // Written before the redactor knows the value, or the mask command itself would be masked.
                environment.Out.WriteLine(GitHubActions.Mask(secret));
            }
        }

        _redactor.Add(fresh);
    }
}
