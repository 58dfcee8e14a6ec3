#include "navigation_history.h"

namespace heapscope::gui {

namespace {
constexpr size_t kMaxItems = 500;
}

void NavigationHistory::visit(uint64_t id) {
  if (!items_.empty() && items_[pos_] == id) return;
  if (!items_.empty()) items_.resize(pos_ + 1);
  items_.push_back(id);
  if (items_.size() > kMaxItems) items_.erase(items_.begin());
  pos_ = items_.size() - 1;
}

std::optional<uint64_t> NavigationHistory::current() const {
  if (items_.empty()) return std::nullopt;
  return items_[pos_];
}

std::optional<uint64_t> NavigationHistory::back() {
  if (!can_go_back()) return std::nullopt;
  return items_[--pos_];
}

std::optional<uint64_t> NavigationHistory::forward() {
  if (!can_go_forward()) return std::nullopt;
  return items_[++pos_];
}

void NavigationHistory::clear() {
  items_.clear();
  pos_ = 0;
}

}  // namespace heapscope::gui
