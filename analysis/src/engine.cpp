#include "heapscope/analysis/engine.h"

#include <atomic>
#include <exception>
#include <thread>

#include "engine_cache.h"

namespace heapscope::analysis {

Result<Engine> Engine::build(const Heap& heap, const EngineOptions& options) {
  Engine e;
  e.index_ = &heap.index();
  e.filter_ = options.filter;
  e.layouts_ = std::make_unique<FieldLayouts>(heap.index());
  std::unique_ptr<hprof::SpillStorage> spill;
  if (options.memory_budget) {
    const uint64_t need = estimate_engine_bytes(heap.index(), *e.layouts_) +
                          (heap.spill_use().dir.empty() ? index_bytes(heap.index()) : 0);
    auto planned =
        plan_spill({options.memory_budget, options.memory_budget_source, options.spill_dir}, need,
                   "analyzing this dump");
    if (!planned) return planned.error();
    spill = std::move(*planned);
  }
  hprof::SpillScope scope(spill.get());
  std::optional<hprof::CacheReader> cache;
  if (!options.cache_dir.empty() && heap.cache_key()) {
    e.cache_use_.file =
        hprof::cache_file_path(options.cache_dir, heap.dump(), heap.cache_key()->heap_dump_number);
    if (auto file = hprof::CacheReader::open(e.cache_use_.file, *heap.cache_key())) {
      cache.emplace(std::move(*file));
    }
  }
  auto built = e.load_or_build(heap, options, cache);
  if (!built) return built.error();
  if (options.alongside_dominators && !e.alongside_done_) options.alongside_dominators(e);
  if (!e.cache_use_.file.empty() && !e.cache_use_.loaded) e.write_cache(heap, options, cache);
  record_spill(spill.get(), e.spill_use_);
  return e;
}

hprof::Status Engine::load_or_build(const Heap& heap, const EngineOptions& options,
                                    std::optional<hprof::CacheReader>& cache) {
  graph_from_cache_ = false;
  if (cache && EngineCache::has_graph(*cache)) {
    auto graph = EngineCache::load_graph(*cache, heap.index().object_count(), options.threads,
                                         options.progress);
    if (graph) {
      graph_ = std::move(*graph);
      graph_from_cache_ = true;
    } else {
      cache.reset();  // damaged: rebuild everything and write a fresh file
    }
  }
  if (cache && graph_from_cache_ && EngineCache::has_tree(*cache, filter_)) {
    if (EngineCache::load_tree(*cache, filter_, graph_, options.threads, options.progress, tree_,
                               retained_)) {
      cache_use_.loaded = true;
      return hprof::Ok{};
    }
    tree_ = DominatorTree{};
    retained_ = Retained{};
    cache.reset();
  }
  if (!graph_from_cache_) {
    GraphOptions go;
    go.threads = options.threads;
    go.progress = options.progress;
    auto graph = Graph::build(heap.index(), *layouts_, go);
    if (!graph) return graph.error();
    graph_ = std::move(*graph);
  }
  if (options.progress && options.progress->cancelled()) {
    return hprof::Error{hprof::ErrorCode::kCancelled, 0, -1, "cancelled"};
  }
  // Work that needs the graph only runs on a second thread beside the dominator tree (which is
  // serial), so `analyze` costs little more than `dominators`. Without keep_graph, the edges go
  // back when the last of the two readers is done with them: the tree once it has its
  // predecessor lists, before SEMI-NCA (the peak), and the work beside it, which usually ends
  // first.
  const bool writes_cache = !cache_use_.file.empty() && !cache_use_.loaded;
  const bool release = !options.keep_graph && !writes_cache;
  std::atomic<int> edge_readers = options.alongside_dominators ? 2 : 1;
  auto done_with_edges = [&] {
    if (edge_readers.fetch_sub(1) == 1 && release) graph_.release_edges();
  };
  // The tree's last pass over the edges hands them back behind it, once it is their only reader
  // (the work beside has finished): what it builds then is the run's peak.
  EdgeUse tree_edges;
  tree_edges.all_done = done_with_edges;
  tree_edges.nodes_done = [&](NodeIndex first, NodeIndex last) {
    if (release && edge_readers.load() == 1) graph_.discard_edges(first, last);
  };
  std::exception_ptr failed;
  std::thread beside;
  if (options.alongside_dominators) {
    alongside_done_ = true;
    beside = std::thread([&, spill = hprof::SpillScope::current()] {
      hprof::SpillScope scope(spill);
      try {
        options.alongside_dominators(*this);
      } catch (...) {
        failed = std::current_exception();
      }
      done_with_edges();
    });
  }
  heap.index().set_aside();  // the tree reads the graph only (the work beside reads a few objects)
  tree_ =
      DominatorTree::compute(graph_, options.filter, options.progress, options.threads, tree_edges);
  const bool cancelled = options.progress && options.progress->cancelled();
  if (!cancelled) {
    if (options.progress) options.progress->begin("retained sizes", 0);
    // Over spilled tables the retained sizes, and with them the retained bytes per class, are
    // summed in DFS-number space (dominators.h); in memory the node-space ways are faster, and
    // the numbers 8 bytes per object for nothing. Nothing reads them afterwards.
    if (!hprof::SpillScope::current()) tree_.release_numbers();
    retained_ = compute_retained(tree_, heap.index(), options.class_retained);
    tree_.release_numbers();
  }
  if (beside.joinable()) beside.join();
  if (failed) std::rethrow_exception(failed);
  if (cancelled) return hprof::Error{hprof::ErrorCode::kCancelled, 0, -1, "cancelled"};
  return hprof::Ok{};
}

void Engine::write_cache(const Heap& heap, const EngineOptions& options,
                         const std::optional<hprof::CacheReader>& cache) {
  // One file per dump: what the old file holds (the index, the graph, the other filter's tree)
  // is copied as stored, without recompressing; the rest is added.
  hprof::CacheWriter writer(*heap.cache_key(), options.threads);
  if (cache) {
    for (uint32_t s : cache->sections()) {
      const bool replaced = EngineCache::is_tree_section(s, filter_) ||
                            (EngineCache::is_graph_section(s) && !graph_from_cache_);
      if (!replaced) writer.copy(*cache, s);
    }
  } else {
    heap.index().save(writer);
  }
  if (!cache || !graph_from_cache_) EngineCache::save_graph(writer, graph_);
  EngineCache::save_tree(writer, tree_, retained_);
  auto written = writer.write(cache_use_.file, options.progress);
  cache_use_.written = written.ok();
  if (!written) cache_use_.warning = written.error().message;
}

uint64_t index_bytes(const hprof::Index& index) {
  // id and location 2 B each (plus a base per 64; wide blocks, rare, 8 B more per object),
  // class and length 2 B each (with rare exceptions), and the id directory's ~1 B per object
  // (index.h, ascending_table.h, location_table.h, short_table.h): 9.8 B per object resident on
  // the 867 MB AppHeap.
  return uint64_t{index.object_count()} * 10;
}

uint64_t estimate_engine_bytes(const hprof::Index& index, const FieldLayouts& layouts) {
  uint64_t edges = index.roots().size();
  const uint32_t n = index.object_count();
  for (hprof::ObjectIndex o = 0; o < n; ++o) {
    switch (index.kind(o)) {
      case hprof::ObjectKind::kInstance:
        edges += 1 + layouts.reference_offsets(index.class_of(o)).size();
        break;
      case hprof::ObjectKind::kObjectArray:
        edges += 1 + index.length(o);
        break;
      default:
        edges += 3;
        break;
    }
  }
  // Graph: 8 B offset per node, 4 B target per edge. Dominators: 7 u32 + 1 u64 per node,
  // 4 B predecessor per edge. Result: idom, preorder, retained bytes and count: 20 B per node.
  return uint64_t{n} * (8 + 36 + 20) + edges * 8;
}

std::string Engine::class_name_of(NodeIndex n) const {
  if (n >= index_->object_count()) return "<GC roots>";
  if (index_->kind(n) == hprof::ObjectKind::kClass) {
    const auto c = index_->find_class(index_->object_id(n));
    return "class " + (c == hprof::kNoClass ? std::string("?") : index_->class_info(c).name);
  }
  return index_->class_info(index_->class_of(n)).name;
}

}  // namespace heapscope::analysis
