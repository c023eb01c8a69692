import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiQueryOf, DEFAULT_FILTERS, filtersFromParams, pageCount, paramsOfFilters, withFilter } from './queue-filters';

describe('queue filters ↔ URL', () => {
  it('reads the defaults from an empty query and writes them back as an empty query', () => {
    assert.deepEqual(filtersFromParams(new URLSearchParams()), DEFAULT_FILTERS);
    assert.equal(paramsOfFilters(DEFAULT_FILTERS).toString(), '');
  });

  it('round-trips every filter, sort and page through the URL', () => {
    const query = 'level=critical&state=all&owner=ana%40example.com&overdue=true&sort=-level&page=3&page_size=25';
    const filters = filtersFromParams(new URLSearchParams(query));
    assert.deepEqual(filters, { level: 'critical', state: 'all', owner: 'ana@example.com', overdue: 'true', sort: '-level', page: '3', page_size: '25' });
    assert.equal(paramsOfFilters(filters).toString(), query);
  });

  it('asks the API for the open alerts by default, for every state with `all`, and leaves out empty filters', () => {
    assert.equal(apiQueryOf(DEFAULT_FILTERS).toString(), 'state=pending%2Cacknowledged&sort=due_at&page=1&page_size=50');
    const all = filtersFromParams(new URLSearchParams('state=all&owner=none'));
    assert.equal(apiQueryOf(all).toString(), 'owner=none&sort=due_at&page=1&page_size=50');
  });

  it('passes a malformed value through unchanged, so the API’s 400 names that parameter', () => {
    const filters = filtersFromParams(new URLSearchParams('level=urgent&page=zero'));
    assert.equal(apiQueryOf(filters).get('level'), 'urgent');
    assert.equal(apiQueryOf(filters).get('page'), 'zero');
  });

  it('starts again at page 1 when a filter changes, and keeps the filters when the page does', () => {
    const onPage3 = filtersFromParams(new URLSearchParams('level=high&page=3'));
    assert.deepEqual(withFilter(onPage3, 'owner', 'me'), { ...onPage3, owner: 'me', page: '1' });
    assert.deepEqual(withFilter(onPage3, 'page', '4'), { ...onPage3, page: '4' });
  });

  it('counts pages, with at least one for an empty queue', () => {
    assert.equal(pageCount(0, 50), 1);
    assert.equal(pageCount(50, 50), 1);
    assert.equal(pageCount(51, 50), 2);
  });
});
