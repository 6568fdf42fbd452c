// The imagepipeline dotnet tool: the same console host as ./build.sh in this repository.
return await ImagePipeline.Host.ConsoleEntryPoint.RunAsync(args);
