using static TorchSharp.torch;
var x = ones(3, 3);
Console.WriteLine((x * 2).sum().item<float>());
