// Back/forward history of the objects the inspector showed, like a browser's.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace heapscope::gui {

class NavigationHistory {
 public:
  // Visits `id`: drops the forward part; visiting the current object again changes nothing.
  void visit(uint64_t id);
  std::optional<uint64_t> current() const;
  bool can_go_back() const { return pos_ > 0; }
  bool can_go_forward() const { return pos_ + 1 < items_.size(); }
  std::optional<uint64_t> back();
  std::optional<uint64_t> forward();
  void clear();
  size_t size() const { return items_.size(); }

 private:
  std::vector<uint64_t> items_;
  size_t pos_ = 0;  // index of the current item when not empty
};

}  // namespace heapscope::gui
