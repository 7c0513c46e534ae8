// match_lemon: reference solver for the matching benchmark.  Reads the
// compact text instance written by match_gen.py, builds the same network
// as lib/match/match.c and solves it with LEMON's NetworkSimplex.  Prints
//   requests coaches edges median_ms assigned total_score
// Benchmark only: never linked into coachd or coach-solve.
#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

using namespace lemon;

int
main(int argc, char **argv)
{
	if (argc != 3) {
		std::fprintf(stderr, "usage: match_lemon instance.txt runs\n");
		return 1;
	}
	int runs = std::atoi(argv[2]);
	FILE *f = std::fopen(argv[1], "r");
	unsigned ver;
	size_t nc, nr, ne;
	if (runs < 1 || f == nullptr ||
	    std::fscanf(f, "match %u %zu %zu %zu", &ver, &nc, &nr, &ne) != 4) {
		std::fprintf(stderr, "match_lemon: cannot read %s\n", argv[1]);
		return 1;
	}
	std::vector<long long> cap(nc);
	std::vector<unsigned> er(ne), ec(ne);
	std::vector<long long> es(ne);
	for (size_t i = 0; i < nc; i++)
		if (std::fscanf(f, "%lld", &cap[i]) != 1)
			return 1;
	for (size_t i = 0; i < ne; i++)
		if (std::fscanf(f, "%u %u %lld", &er[i], &ec[i], &es[i]) != 3)
			return 1;
	std::fclose(f);

	// Same lexicographic weight as the engine: BIG exceeds any score sum.
	std::vector<long long> best(nr, 0);
	for (size_t i = 0; i < ne; i++)
		if (cap[ec[i]] > 0)
			best[er[i]] = std::max(best[er[i]], es[i]);
	long long big = 1;
	for (size_t r = 0; r < nr; r++)
		big += best[r];

	SmartDigraph g;
	std::vector<SmartDigraph::Node> rn(nr), cn(nc);
	for (size_t r = 0; r < nr; r++)
		rn[r] = g.addNode();
	for (size_t c = 0; c < nc; c++)
		cn[c] = g.addNode();
	SmartDigraph::Node t = g.addNode();
	SmartDigraph::ArcMap<long long> acap(g), acost(g);
	SmartDigraph::NodeMap<long long> sup(g, 0);
	std::vector<SmartDigraph::Arc> edge_arc(ne);
	for (size_t i = 0; i < ne; i++) {
		SmartDigraph::Arc a = g.addArc(rn[er[i]], cn[ec[i]]);
		acap[a] = 1;
		acost[a] = -(big + es[i]);
		edge_arc[i] = a;
	}
	for (size_t r = 0; r < nr; r++) {
		SmartDigraph::Arc a = g.addArc(rn[r], t);	// unassigned
		acap[a] = 1;
		acost[a] = 0;
		sup[rn[r]] = 1;
	}
	for (size_t c = 0; c < nc; c++) {
		SmartDigraph::Arc a = g.addArc(cn[c], t);
		acap[a] = cap[c];
		acost[a] = 0;
	}
	sup[t] = -(long long)nr;

	std::vector<double> times;
	size_t assigned = 0;
	long long total = 0;
	for (int run = 0; run < runs; run++) {
		auto t0 = std::chrono::steady_clock::now();
		NetworkSimplex<SmartDigraph, long long, long long> ns(g);
		ns.upperMap(acap).costMap(acost).supplyMap(sup);
		if (ns.run() != NetworkSimplex<SmartDigraph, long long,
		    long long>::OPTIMAL) {
			std::fprintf(stderr, "match_lemon: not optimal\n");
			return 1;
		}
		auto t1 = std::chrono::steady_clock::now();
		times.push_back(std::chrono::duration<double, std::milli>(
		    t1 - t0).count());
		assigned = 0;
		total = 0;
		for (size_t i = 0; i < ne; i++)
			if (ns.flow(edge_arc[i]) > 0) {
				assigned++;
				total += es[i];
			}
	}
	std::sort(times.begin(), times.end());
	std::printf("%zu %zu %zu %.1f %zu %lld\n", nr, nc, ne,
	    times[times.size() / 2], assigned, total);
	return 0;
}
