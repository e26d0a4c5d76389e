Console.WriteLine(typeof(ScottPlot.Plot).Assembly.FullName);
var plot = new ScottPlot.Plot();
plot.Add.Scatter(new double[] { 1, 2, 3 }, new double[] { 1, 4, 9 });
plot.SaveSvg("/tmp/perf-probe.svg", 600, 400);
