using System.Reflection;
using ObjectStorage.TestChild;

// Usage: ObjectStorage.TestChild <mode> [args...]. Each mode is one IChildMode class in its own file.
var modes = Assembly.GetExecutingAssembly().GetTypes()
    .Where(t => typeof(IChildMode).IsAssignableFrom(t) && !t.IsAbstract)
    .Select(t => (IChildMode)Activator.CreateInstance(t)!)
    .ToDictionary(m => m.Name, StringComparer.Ordinal);
if (args.Length == 0 || !modes.TryGetValue(args[0], out var mode))
{
    Console.Error.WriteLine($"usage: ObjectStorage.TestChild <{string.Join('|', modes.Keys.Order())}> [args...]");
    return 2;
}
return mode.Run(args[1..]);
