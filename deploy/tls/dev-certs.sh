#!/bin/sh
# Makes a development certificate authority and the certificates for mutual TLS between Xinfang and the Temporal
# frontend (issue 12: the Temporal side is a trusted zone). The cluster profile runs it into .data/cluster/tls;
# docker-compose.yml runs it in a one-shot service into a volume. A real installation brings certificates from
# its own CA under the same file names instead.
#
#   dev-certs.sh <folder> [extra DNS name of the frontend]...
#
# Writes, keeping whatever already exists (so a rerun never invalidates certificates in use):
#   ca.pem ca.key                        the development CA (EC P-256, 825 days)
#   frontend.pem frontend.key            the frontend's server certificate: DNS temporal-frontend, localhost,
#                                        temporal, the extra names, IP 127.0.0.1 (clients verify the name
#                                        temporal-frontend)
#   worker, api, ui, admin, system-worker (.pem, .key)
#                                        client certificates: the case workers, the API, the Temporal UI, the setup
#                                        and operators' CLI, and the Temporal server's own worker service
# Needs only a POSIX shell and openssl.
set -eu

dir=${1:?usage: dev-certs.sh <folder> [extra DNS name]...}
shift
mkdir -p "$dir"
cd "$dir"
umask 077
days=825

if [ ! -s ca.pem ] || [ ! -s ca.key ]; then
  rm -f ca.pem ca.key ./*.pem ./*.key
  openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem \
    -days "$days" -subj '/O=Xinfang development/CN=Xinfang development CA' \
    -addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign,cRLSign' 2>/dev/null
  echo "dev-certs: made a development CA in $dir"
fi

# issue <name> <extendedKeyUsage> <subjectAltName or empty>
issue() {
  if [ -s "$1.pem" ] && [ -s "$1.key" ]; then return 0; fi
  ext=$(mktemp)
  {
    echo 'basicConstraints=critical,CA:FALSE'
    echo 'keyUsage=critical,digitalSignature,keyEncipherment'
    echo "extendedKeyUsage=$2"
    if [ -n "$3" ]; then echo "subjectAltName=$3"; fi
  } >"$ext"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$1.key" -out "$1.csr" \
    -subj "/O=Xinfang development/CN=$1" 2>/dev/null
  openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -out "$1.pem" -days "$days" \
    -extfile "$ext" 2>/dev/null
  rm -f "$1.csr" "$ext"
  echo "dev-certs: issued $1.pem"
}

names=DNS:temporal-frontend,DNS:localhost,DNS:temporal,IP:127.0.0.1
for extra in "$@"; do names="$names,DNS:$extra"; done
issue frontend serverAuth "$names"
for client in worker api ui admin system-worker; do issue "$client" clientAuth ''; done
rm -f ca.srl
# The CA certificate is public; keys stay with their owner. Containers of other users read them through a group
# or a copy made by their orchestrator, so the folder itself is only traversable.
chmod 644 ./*.pem
chmod 600 ./*.key
chmod 711 .
