/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-error.c: registers KontorError with GDBus so errors keep their names. */
#define G_LOG_DOMAIN "kontor-core"

#include "config.h"

#include <gio/gio.h>

#include "kontor-error.h"

static const GDBusErrorEntry error_entries[] = {
  { KONTOR_ERROR_FAILED, "io.github.kontor.Error.Failed" },
  { KONTOR_ERROR_NOT_FOUND, "io.github.kontor.Error.NotFound" },
  { KONTOR_ERROR_INVALID_ARGUMENT, "io.github.kontor.Error.InvalidArgument" },
  { KONTOR_ERROR_NOT_SUPPORTED, "io.github.kontor.Error.NotSupported" },
  { KONTOR_ERROR_PLUGIN_UNAVAILABLE, "io.github.kontor.Error.PluginUnavailable" },
  { KONTOR_ERROR_AUTH_FAILED, "io.github.kontor.Error.AuthFailed" },
  { KONTOR_ERROR_HOST_NOT_FOUND, "io.github.kontor.Error.HostNotFound" },
  { KONTOR_ERROR_CONNECTION_REFUSED, "io.github.kontor.Error.ConnectionRefused" },
  { KONTOR_ERROR_TIMEOUT, "io.github.kontor.Error.Timeout" },
  { KONTOR_ERROR_CERTIFICATE_UNTRUSTED, "io.github.kontor.Error.CertificateUntrusted" },
  { KONTOR_ERROR_TLS_REQUIRED, "io.github.kontor.Error.TlsRequired" },
  { KONTOR_ERROR_OFFLINE, "io.github.kontor.Error.Offline" },
};

GQuark
kontor_error_quark (void)
{
  static gsize quark = 0;

  g_dbus_error_register_error_domain ("kontor-error-quark", &quark, error_entries,
                                      G_N_ELEMENTS (error_entries));
  return (GQuark) quark;
}
