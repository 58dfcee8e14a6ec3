// A fixed-capacity array of trivially copyable values in memory reserved up front. Growing never
// copies or doubles (a std::vector would briefly hold 2x while reallocating), and untouched
// capacity costs address space only. Used for the per-object tables.
//
// The memory is anonymous, or a shared mapping of a spill file when the array is reserved while
// a SpillScope is active (spill.h): the tables that do not fit the memory budget.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <new>
#include <span>
#include <type_traits>
#include <utility>

namespace heapscope::hprof::detail {

// Reserve and release anonymous memory (mmap with MAP_NORESERVE); nullptr when refused.
void* reserve_memory(size_t bytes);
void release_memory(void* p, size_t bytes);
// Returns the pages of [p, p + bytes) to the system; they read as zero afterwards.
void discard_memory(void* p, size_t bytes);
// Reserves `bytes` for a table: in a spill file when the thread's SpillScope says so and the
// table is big enough (`file_backed` tells which), else anonymous memory; nullptr when refused.
void* reserve_table(size_t bytes, bool& file_backed);
// discard_memory for either kind (a spill file's blocks are freed too).
void discard_table(void* p, size_t bytes, bool file_backed);
// Tells the kernel a spilled table will not be read for a while (MADV_COLD: its pages go to the
// inactive list, first in line for write-back and reclaim, before pages in use now); no-op for
// anonymous memory, which has nowhere to go without swap.
void set_aside_table(const void* p, size_t bytes, bool file_backed);

template <typename T>
class FlatArray {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  FlatArray() = default;
  explicit FlatArray(size_t capacity) { reserve(capacity); }
  FlatArray(FlatArray&& o) noexcept { swap(o); }
  FlatArray& operator=(FlatArray&& o) noexcept {
    FlatArray tmp(std::move(o));
    swap(tmp);
    return *this;
  }
  FlatArray(const FlatArray&) = delete;
  FlatArray& operator=(const FlatArray&) = delete;
  ~FlatArray() { clear(); }

  // Reserves room for `capacity` elements; throws std::bad_alloc when refused.
  void reserve(size_t capacity) {
    clear();
    if (capacity == 0) return;
    data_ = static_cast<T*>(reserve_table(capacity * sizeof(T), file_backed_));
    if (!data_) throw std::bad_alloc();
    capacity_ = capacity;
  }
  void clear() {
    if (data_) release_memory(data_, capacity_ * sizeof(T));
    data_ = nullptr;
    size_ = capacity_ = 0;
    file_backed_ = false;
  }
  // Sets the size (new elements read as zero when never written); never beyond capacity.
  void resize(size_t n) { size_ = n; }
  void push_back(const T& v) { data_[size_++] = v; }
  // Gives back the pages past the size.
  void trim() { discard(size_, capacity_); }

  // Gives back the pages that lie wholly inside elements [first, last): a pass that has read
  // them for the last time. They read as zero afterwards; the rest of the array is untouched.
  void discard(size_t first, size_t last) {
    const size_t page = 4096;
    auto begin = (reinterpret_cast<uintptr_t>(data_ + first) + page - 1) & ~(page - 1);
    auto end = reinterpret_cast<uintptr_t>(data_ + std::min(last, capacity_)) & ~(page - 1);
    if (data_ && end > begin) {
      discard_table(reinterpret_cast<void*>(begin), end - begin, file_backed_);
    }
  }

  // See set_aside_table: for a spilled table the current phase does not read.
  void set_aside() const { set_aside_table(data_, capacity_ * sizeof(T), file_backed_); }

  T* data() { return data_; }
  const T* data() const { return data_; }
  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }
  bool empty() const { return size_ == 0; }
  // True when the array lives in a spill file (see SpillScope).
  bool file_backed() const { return file_backed_; }
  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }
  T* begin() { return data_; }
  T* end() { return data_ + size_; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }
  operator std::span<const T>() const { return {data_, size_}; }  // NOLINT
  void swap(FlatArray& o) noexcept {
    std::swap(data_, o.data_);
    std::swap(size_, o.size_);
    std::swap(capacity_, o.capacity_);
    std::swap(file_backed_, o.file_backed_);
  }

 private:
  T* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
  bool file_backed_ = false;
};

// Gives back the pages of an array behind a pass that reads it in order for the last time: the
// pass says how far it has come (at any stride), and the pages wholly below go back
// (FlatArray::discard), each once.
template <typename T>
class GiveBackBehind {
 public:
  explicit GiveBackBehind(FlatArray<T>& array) : array_(array) {}
  void passed(size_t done) {
    array_.discard(given_back_, done);
    given_back_ = done / kPerPage * kPerPage;  // the page that holds `done` stays
  }

 private:
  static constexpr size_t kPerPage = 4096 / sizeof(T);  // arrays start on a page
  FlatArray<T>& array_;
  size_t given_back_ = 0;
};

}  // namespace heapscope::hprof::detail
