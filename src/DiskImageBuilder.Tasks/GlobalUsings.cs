// Microsoft.Build.Utilities also has a Task type; only its TaskItem is wanted in task code.
global using TaskItem = Microsoft.Build.Utilities.TaskItem;
