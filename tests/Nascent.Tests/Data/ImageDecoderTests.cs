using Nascent.Core;
using Nascent.Data;
using SkiaSharp;

namespace Nascent.Tests.Data;

public sealed class ImageDecoderTests
{
    [Fact]
    public void MnistImagesWrittenAsPngDecodeToTheIdxPixels()
    {
        var (train, _) = DatasetLoader.ReadRaw(DatasetKind.Mnist,
            DataDirectories.DatasetFolder(DataDirectories.Resolve(null), DatasetKind.Mnist));
        using var folder = new TempFolder();
        for (int i = 0; i < 200; i++)
        {
            string path = ImageFiles.WritePng(Path.Combine(folder.Path, $"{i}.png"), train, i);
            Assert.Equal(train.Pixels.AsSpan(i * train.ImageSize, train.ImageSize).ToArray(), ImageDecoder.Decode(path, 28, 1));
            Assert.False(ImageDecoder.ReadHeader(path).Colour);
        }
    }

    [Fact]
    public void ColourPlanesComeBackInRgbOrderAndGreyIsPillowsLuma()
    {
        using var folder = new TempFolder();
        // One 2x2 RGB image: pure red, green, blue and a mixed pixel.
        byte[] planes = [255, 0, 0, 10, /* G */ 0, 255, 0, 20, /* B */ 0, 0, 255, 30];
        string path = ImageFiles.WritePng(Path.Combine(folder.Path, "rgb.png"), planes, 3, 2, 2);
        Assert.True(ImageDecoder.ReadHeader(path).Colour);
        Assert.Equal(planes, ImageDecoder.Decode(path, 2, 3));
        // Pillow's convert("L") gives 76, 150, 29 for red, green, blue; (10,20,30) gives 18.
        Assert.Equal(new byte[] { 76, 150, 29, 18 }, ImageDecoder.Decode(path, 2, 1));
        // A grey file asked for three channels repeats its plane.
        string grey = ImageFiles.WritePng(Path.Combine(folder.Path, "grey.png"), new byte[] { 1, 2, 3, 4 }, 1, 2, 2);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4 }, ImageDecoder.Decode(grey, 2, 3));
    }

    [Fact]
    public void ShorterSideIsResizedThenTheCentreCropped()
    {
        using var folder = new TempFolder();
        // 8 wide, 4 high; each column holds its x * 30, so a crop shows which columns it kept.
        var pixels = new byte[32];
        for (int y = 0; y < 4; y++)
            for (int x = 0; x < 8; x++) pixels[y * 8 + x] = (byte)(x * 30);
        string path = ImageFiles.WritePng(Path.Combine(folder.Path, "wide.png"), pixels, 1, 4, 8);
        // Shorter side already 4: no resampling, columns 2..5 (left = round((8 - 4) / 2) = 2).
        var crop = ImageDecoder.Decode(path, 4, 1);
        Assert.Equal(16, crop.Length);
        Assert.Equal(new byte[] { 60, 90, 120, 150 }, crop[..4]);
        // Shorter side to 2: 4 x 2, then the middle 2 columns; the values grow left to right.
        var small = ImageDecoder.Decode(path, 2, 1);
        Assert.Equal(4, small.Length);
        Assert.True(small[0] < small[1] && small[0] > 30 && small[1] < 210, string.Join(",", small));
        var stored = ImageDecoder.Read(path, null, null);
        Assert.Equal((1, 4, 8), (stored.Channels, stored.Height, stored.Width));
        Assert.Equal(pixels, stored.Pixels);
    }

    [Fact]
    public void AFileThatDoesNotDecodeIsNamed()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "broken.png");
        File.WriteAllText(path, "not an image");
        var error = Assert.Throws<NascentException>(() => ImageDecoder.Decode(path, 8, 1));
        Assert.Contains(path, error.Message);
        Assert.Contains("cannot be decoded", error.Message);
        var missing = Assert.Throws<NascentException>(() => ImageDecoder.Decode(Path.Combine(folder.Path, "gone.png"), 8, 1));
        Assert.Contains("gone.png", missing.Message);
    }

    [Fact]
    public void JpegAndWebpFilesDecode()
    {
        using var folder = new TempFolder();
        var flat = Enumerable.Repeat((byte)128, 3 * 16 * 16).ToArray();
        foreach (var (format, name) in new[] { (SKEncodedImageFormat.Jpeg, "a.jpg"), (SKEncodedImageFormat.Webp, "a.webp") })
        {
            string path = ImageFiles.Write(Path.Combine(folder.Path, name), flat, 3, 16, 16, format);
            var decoded = ImageDecoder.Decode(path, 16, 3);
            Assert.All(decoded, b => Assert.InRange(b, 124, 132));
        }
    }
}
