import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  clearedFilter,
  exportQuery,
  filterFromParams,
  isFiltered,
  listQuery,
  pageCount,
  paramsOfFilter,
  withFilter,
  withPage,
  withSortBy,
} from './customer-filter';

const url = (query: string) => filterFromParams(new URLSearchParams(query));

describe('the customer list’s filter in the URL', () => {
  it('reads every filter, the sort and the page from the API’s parameter names', () => {
    const sut = url(
      'q=fiber&risk_level=high,critical&score_min=40&score_max=90&alert_state=pending,none&arm=control&crm_task=open&attr.Contract=One%20year&attr.Tenure=12&sort=revenue_at_risk&page=3&page_size=50',
    );
    assert.deepEqual(sut, {
      q: 'fiber',
      riskLevels: ['high', 'critical'],
      scoreMin: '40',
      scoreMax: '90',
      alertStates: ['pending', 'none'],
      arm: 'control',
      crmTask: 'open',
      attributes: [
        { name: 'Contract', value: 'One year' },
        { name: 'Tenure', value: '12' },
      ],
      sort: 'revenue_at_risk',
      page: '3',
      pageSize: '50',
    });
  });

  it('gives the defaults for an empty URL, and writes them back as no parameter at all', () => {
    const sut = url('');
    assert.deepEqual([sut.sort, sut.page, sut.pageSize, sut.riskLevels, sut.attributes], ['-score', '1', '25', [], []]);
    assert.equal(paramsOfFilter(sut).toString(), '');
    assert.equal(isFiltered(sut), false);
  });

  it('round-trips a filter through the URL', () => {
    const query =
      'q=7590&risk_level=critical&score_min=50&alert_state=acknowledged&arm=treatment&attr.SeniorCitizen=true&sort=score_change&page=2&page_size=100';
    assert.equal(paramsOfFilter(url(query)).toString(), query);
    assert.deepEqual(url(paramsOfFilter(url(query)).toString()), url(query));
  });

  it('keeps a malformed value as typed, so the API names the parameter', () => {
    const sut = url('score_min=high&sort=name&page=x');
    assert.equal(listQuery(sut).toString(), 'score_min=high&sort=name&page=x&page_size=25');
  });

  it('asks the API for the page and its size; the CSV for the whole filter in the sort’s order, no page', () => {
    const sut = url('risk_level=high&page=4');
    assert.equal(listQuery(sut).toString(), 'risk_level=high&sort=-score&page=4&page_size=25');
    assert.equal(exportQuery(sut).toString(), 'risk_level=high&sort=-score');
  });

  it('drops empty values and trims the search', () => {
    const sut = withFilter(url(''), { q: '  acme ', scoreMin: '', attributes: [{ name: 'Contract', value: ' ' }] });
    assert.equal(paramsOfFilter(sut).toString(), 'q=acme');
  });

  it('goes back to the first page when the filter or the sort changes; clearing keeps the sort and page size', () => {
    const sut = url('risk_level=low&sort=score&page=5&page_size=50');
    assert.equal(withFilter(sut, { arm: 'control' }).page, '1');
    assert.equal(paramsOfFilter(clearedFilter(sut)).toString(), 'sort=score&page_size=50');
    assert.equal(withPage(sut, 6).page, '6');
  });

  it('sorts a column descending first, and turns the sorted column around', () => {
    const sut = url('page=3');
    assert.equal(withSortBy(sut, 'revenue_at_risk').sort, '-revenue_at_risk');
    assert.equal(withSortBy(sut, 'revenue_at_risk').page, '1');
    assert.equal(withSortBy(sut, 'score').sort, 'score', 'the default -score turns to ascending');
    assert.equal(withSortBy(url('sort=score_change'), 'score_change').sort, '-score_change');
  });

  it('counts pages, one at least', () => {
    assert.deepEqual([pageCount(0, 25), pageCount(25, 25), pageCount(26, 25), pageCount(10_000, 25)], [1, 1, 2, 400]);
  });
});
