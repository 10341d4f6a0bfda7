namespace Nascent.Strategies;

/// <summary>An optimizer's state (moments, step counts) as base64 text, for a strategy's exported state. TorchSharp
/// writes and reads optimizer state through files only, so this goes through a temporary file.</summary>
public static class OptimizerState
{
    public static string Export(torch.optim.Optimizer optimizer)
    {
        string file = Path.GetTempFileName();
        try
        {
            ((TorchSharp.Modules.OptimizerHelper)optimizer).save_state_dict(file);
            return Convert.ToBase64String(File.ReadAllBytes(file));
        }
        finally
        {
            File.Delete(file);
        }
    }

    public static void Import(torch.optim.Optimizer optimizer, string base64)
    {
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(file, Convert.FromBase64String(base64));
            ((TorchSharp.Modules.OptimizerHelper)optimizer).load_state_dict(file);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
