package dev.mecgw.app.registry;

import java.util.List;

/**
 * One page of devices ordered by id.
 *
 * @param items the devices on this page
 * @param page zero-based page index
 * @param size requested page size
 * @param total number of devices matching the filter
 */
public record DevicePage(List<Device> items, int page, int size, long total) {}
