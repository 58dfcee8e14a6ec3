// gui_png_check FILE.png WIDTH HEIGHT: the PNG exists, has that size and is not blank (it has more
// than one colour). Prints what it found; exit 0 when all hold.
#include <QImage>
#include <QSet>
#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: gui_png_check FILE.png WIDTH HEIGHT\n");
    return 2;
  }
  const QImage image(QString::fromLocal8Bit(argv[1]), "PNG");
  if (image.isNull()) {
    std::fprintf(stderr, "%s: missing or not a PNG\n", argv[1]);
    return 1;
  }
  const int width = std::atoi(argv[2]);
  const int height = std::atoi(argv[3]);
  QSet<QRgb> colours;
  for (int y = 0; y < image.height() && colours.size() < 100000; ++y) {
    for (int x = 0; x < image.width(); ++x) colours.insert(image.pixel(x, y));
  }
  std::printf("%s: %dx%d, %lld colours\n", argv[1], image.width(), image.height(),
              static_cast<long long>(colours.size()));
  if (image.width() != width || image.height() != height) {
    std::fprintf(stderr, "expected %dx%d\n", width, height);
    return 1;
  }
  if (colours.size() < 2) {
    std::fprintf(stderr, "the image is blank (one colour)\n");
    return 1;
  }
  return 0;
}
