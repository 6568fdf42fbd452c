// ./build.sh runs this: the same console host as the imagepipeline tool.
return await ImagePipeline.Host.ConsoleEntryPoint.RunAsync(args);
