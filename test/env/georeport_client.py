"""Drives the Open311 API with the third-party client georeport (PyPI) in one format; prints what it saw as JSON.

Usage: georeport_client.py <root_url> <api_key> <json|xml> <subject>
georeport 0.3.1 reads only; the request is posted form-encoded, as the GeoReport v2 spec sends it, with requests
(the client's own HTTP library).
"""
import json
import sys
import time

import requests
import xmltodict
from georeport import GeoReport


def as_list(value):
    """xmltodict gives one item as a dict and several as a list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def main():
    root, api_key, fmt, subject = sys.argv[1:5]
    client = GeoReport(root, jurisdiction='330106', api_key=api_key, output_format=fmt)
    services = as_list(client.get_service_list())
    definition = client.get_service_definition('environment')
    attributes = definition['attributes']
    if fmt == 'xml':
        attributes = as_list(attributes['attribute'])

    posted = requests.post(
        f'{root}/requests.{fmt}',
        data={
            'api_key': api_key,
            'service_code': 'environment',
            'jurisdiction_id': '330106',
            'description': subject,
            'first_name': 'Wu',
            'attribute[publication_consent]': 'true',
        },
        timeout=60,
    )
    posted.raise_for_status()
    if fmt == 'json':
        created = posted.json()[0]
    else:
        created = xmltodict.parse(posted.content)['service_requests']['request']
    request_id = created['service_request_id']

    # At once: no waiting for the workflow to write the record.
    one = client.get_service_request(request_id)
    by_id = as_list(client.get_service_requests(service_request_id=request_id))
    # The list is read from the records: the request appears there once the workflow has written it.
    deadline = time.monotonic() + 60
    while True:
        listed = as_list(client.get_service_requests())
        if request_id in [r['service_request_id'] for r in listed] or time.monotonic() > deadline:
            break
        time.sleep(0.5)

    print(json.dumps({
        'content_type': posted.headers.get('Content-Type'),
        'status_code': posted.status_code,
        'service_codes': [s['service_code'] for s in services],
        'attribute_codes': [a['code'] for a in attributes],
        'service_request_id': request_id,
        'one': {k: one.get(k) for k in ('service_request_id', 'status', 'service_code', 'description')},
        'by_id': [r['service_request_id'] for r in by_id],
        'listed': [r['service_request_id'] for r in listed],
    }))


if __name__ == '__main__':
    main()
