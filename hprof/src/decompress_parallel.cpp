#include "decompress_parallel.h"

#include <sys/mman.h>
#include <zlib.h>
#include <zstd.h>

#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace heapscope::hprof::detail {
namespace {

// A piece: consecutive members or frames [begin, end) with known ends, decoded by one worker.
constexpr size_t kMaxParts = 16;                   // members or frames per piece
constexpr uint64_t kPieceBytes = 1ull << 20;       // compressed bytes per piece (about)
constexpr uint64_t kMaxPieceOutput = 16ull << 20;  // decoded bytes a piece may hold in memory

struct Piece {
  uint64_t begin = 0;
  std::vector<uint64_t> ends;  // where each member or frame ends; the last is the piece's end
  uint64_t expected = 0;       // decoded size, when the headers or trailers tell it
  std::vector<char> out;
  bool done = false;
  bool ok = false;
  uint64_t end() const { return ends.back(); }
};

// A gzip member header as the JVM (and most writers) write it: ID1 ID2 CM=8, no reserved flag
// bits, XFL 0/2/4, a known OS byte. Anything else is left to the one-thread decoder.
bool looks_like_member(std::span<const uint8_t> d, uint64_t p) {
  if (p + 10 > d.size()) return false;
  return d[p] == 0x1f && d[p + 1] == 0x8b && d[p + 2] == 8 && (d[p + 3] & 0xe0) == 0 &&
         (d[p + 8] == 0 || d[p + 8] == 2 || d[p + 8] == 4) && (d[p + 9] <= 13 || d[p + 9] == 255);
}

// The next member header after `from` (the start of the current member), or 0 if none.
uint64_t next_member(std::span<const uint8_t> d, uint64_t from) {
  // 10 bytes of header, a 2-byte deflate minimum and 8 of trailer come first
  for (uint64_t p = from + 20; p + 10 <= d.size();) {
    const void* hit = std::memchr(d.data() + p, 0x1f, d.size() - p);
    if (!hit) return 0;
    p = static_cast<uint64_t>(static_cast<const uint8_t*>(hit) - d.data());
    if (looks_like_member(d, p)) return p;
    ++p;
  }
  return 0;
}

uint32_t le32(const uint8_t* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}

// Plans the next piece starting at `at`; an empty piece means the rest is for the one-thread
// decoder. The last member or frame (no known successor) is never taken.
Piece plan(std::span<const uint8_t> d, Compression kind, uint64_t at) {
  Piece piece;
  piece.begin = at;
  uint64_t cursor = at;
  while (piece.ends.size() < kMaxParts && cursor - at < kPieceBytes) {
    uint64_t end = 0, decoded = 0;
    if (kind == Compression::kZstd) {
      const size_t n = ZSTD_findFrameCompressedSize(d.data() + cursor, d.size() - cursor);
      if (ZSTD_isError(n) || cursor + n >= d.size()) break;
      end = cursor + n;
      const auto size = ZSTD_getFrameContentSize(d.data() + cursor, n);
      if (size == ZSTD_CONTENTSIZE_ERROR) break;
      decoded = size == ZSTD_CONTENTSIZE_UNKNOWN ? 0 : size;
    } else {
      if (!looks_like_member(d, cursor)) break;
      end = next_member(d, cursor);
      if (end == 0) break;
      decoded = le32(d.data() + end - 4);  // ISIZE: the member's size mod 2^32
    }
    if (piece.expected + decoded > kMaxPieceOutput) break;
    piece.expected += decoded;
    piece.ends.push_back(end);
    cursor = end;
  }
  return piece;
}

// Appends decoded bytes to `out`, never past kMaxPieceOutput; false when it would go past.
bool grow(std::vector<char>& out, size_t used, size_t want) {
  if (used + want <= out.size()) return true;
  if (out.size() >= kMaxPieceOutput) return false;
  out.resize(std::min<size_t>(kMaxPieceOutput, std::max(out.size() * 2, used + want)));
  return true;
}

bool decode_gzip_piece(std::span<const uint8_t> d, Piece& piece) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 16) != Z_OK) return false;
  if (piece.out.size() < std::max<uint64_t>(piece.expected, 1 << 16)) {
    piece.out.resize(std::max<uint64_t>(piece.expected, 1 << 16));
  }
  size_t used = 0;
  bool ok = true;
  uint64_t begin = piece.begin;
  for (uint64_t end : piece.ends) {
    zs.next_in = const_cast<Bytef*>(d.data() + begin);
    zs.avail_in = static_cast<uInt>(end - begin);
    int z = Z_OK;
    while (z == Z_OK) {
      if (!grow(piece.out, used, 1 << 16)) break;
      zs.next_out = reinterpret_cast<Bytef*>(piece.out.data() + used);
      zs.avail_out = static_cast<uInt>(std::min<size_t>(piece.out.size() - used, 1u << 30));
      const uInt before = zs.avail_out;
      z = inflate(&zs, Z_NO_FLUSH);
      used += before - zs.avail_out;
      if (z == Z_BUF_ERROR && zs.avail_in > 0) z = Z_OK;  // output full: grow and go on
    }
    // the member must end exactly where the next one was found
    if (z != Z_STREAM_END || zs.avail_in != 0) {
      ok = false;
      break;
    }
    inflateReset(&zs);
    begin = end;
  }
  inflateEnd(&zs);
  piece.out.resize(used);
  return ok;
}

bool decode_zstd_piece(std::span<const uint8_t> d, Piece& piece) {
  std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx*)> dctx(ZSTD_createDCtx(), ZSTD_freeDCtx);
  if (!dctx) return false;
  if (piece.out.size() < std::max<uint64_t>(piece.expected, 1 << 16)) {
    piece.out.resize(std::max<uint64_t>(piece.expected, 1 << 16));
  }
  size_t used = 0;
  ZSTD_inBuffer in{d.data() + piece.begin, piece.end() - piece.begin, 0};
  size_t hint = 1;
  while (in.pos < in.size || hint != 0) {
    if (!grow(piece.out, used, 1 << 16)) return false;
    ZSTD_outBuffer out{piece.out.data() + used, piece.out.size() - used, 0};
    hint = ZSTD_decompressStream(dctx.get(), &out, &in);
    if (ZSTD_isError(hint)) return false;
    used += out.pos;
    if (out.pos == 0 && in.pos == in.size && hint != 0) return false;  // stuck: cut frame
  }
  piece.out.resize(used);
  return true;
}

}  // namespace

ParallelOutcome decode_parallel(std::span<const uint8_t> data, Compression kind, unsigned threads,
                                const std::function<bool(const char*, size_t)>& write,
                                Progress& progress) {
  ParallelOutcome r;
  if (threads < 2 || (kind != Compression::kZstd && kind != Compression::kGzip &&
                      kind != Compression::kChunkedGzip)) {
    return r;
  }
  std::mutex mu;
  std::condition_variable work_cv, done_cv;
  std::deque<Piece*> todo;
  bool stop = false;
  auto worker = [&] {
    std::unique_lock lock(mu);
    while (true) {
      work_cv.wait(lock, [&] { return stop || !todo.empty(); });
      if (stop) return;
      Piece* p = todo.front();
      todo.pop_front();
      lock.unlock();
      const bool ok =
          kind == Compression::kZstd ? decode_zstd_piece(data, *p) : decode_gzip_piece(data, *p);
      lock.lock();
      p->ok = ok;
      p->done = true;
      done_cv.notify_all();
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);

  // Pieces in file order; at most two per worker in memory.
  std::deque<std::unique_ptr<Piece>> window;
  std::vector<std::unique_ptr<Piece>> spare;
  uint64_t planned = 0;  // where the next piece starts
  bool more = true;
  while (true) {
    while (more && window.size() < size_t{threads} + 2) {
      Piece next = plan(data, kind, planned);
      if (next.ends.empty()) {
        more = false;
        break;
      }
      // reuse a finished piece's buffer: its pages are already there
      std::unique_ptr<Piece> piece;
      if (!spare.empty()) {
        piece = std::move(spare.back());
        spare.pop_back();
        next.out = std::move(piece->out);
        *piece = std::move(next);
      } else {
        piece = std::make_unique<Piece>(std::move(next));
      }
      planned = piece->end();
      std::lock_guard lock(mu);
      todo.push_back(piece.get());
      window.push_back(std::move(piece));
      work_cv.notify_one();
    }
    if (window.empty()) break;
    Piece& front = *window.front();
    {
      std::unique_lock lock(mu);
      while (!front.done && !progress.cancelled()) {
        done_cv.wait_for(lock, std::chrono::milliseconds(50));
      }
    }
    if (!front.done) {
      r.cancelled = true;
      break;
    }
    if (!front.ok) break;  // r.resume is this piece's start: the one-thread decoder takes over
    if (!front.out.empty() && !write(front.out.data(), front.out.size())) {
      r.write_failed = true;
      break;
    }
    // the compressed pages behind us are not needed again: keep them out of the resident set
    const uint64_t from = r.resume / 4096 * 4096, to = front.end() / 4096 * 4096;
    if (to > from) ::madvise(const_cast<uint8_t*>(data.data()) + from, to - from, MADV_DONTNEED);
    r.resume = front.end();
    progress.advance(r.resume);
    spare.push_back(std::move(window.front()));
    window.pop_front();
  }
  {
    std::lock_guard lock(mu);
    stop = true;
    todo.clear();
  }
  work_cv.notify_all();
  for (auto& t : pool) t.join();
  return r;
}

}  // namespace heapscope::hprof::detail
