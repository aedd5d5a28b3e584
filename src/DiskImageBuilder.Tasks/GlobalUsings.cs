// Microsoft.Build.Utilities also has a Task type; only its TaskItem is wanted in task code.
global using TaskItem = Microsoft.Build.Utilities.TaskItem;
// The engine's process runner moved from DiskImageBuilder.Sandbox to its own namespace.
global using DiskImageBuilder.Processes;
