/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-error.h: the one error domain of Kontor, mapped to named D-Bus errors. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * KontorError:
 *
 * Each code travels over D-Bus as io.github.kontor.Error.<Name>, so a script can
 * tell one failure from another without parsing messages.
 */
typedef enum
{
  KONTOR_ERROR_FAILED,                /* .Failed */
  KONTOR_ERROR_NOT_FOUND,             /* .NotFound */
  KONTOR_ERROR_INVALID_ARGUMENT,      /* .InvalidArgument */
  KONTOR_ERROR_NOT_SUPPORTED,         /* .NotSupported */
  KONTOR_ERROR_PLUGIN_UNAVAILABLE,    /* .PluginUnavailable */
  KONTOR_ERROR_AUTH_FAILED,           /* .AuthFailed */
  KONTOR_ERROR_HOST_NOT_FOUND,        /* .HostNotFound */
  KONTOR_ERROR_CONNECTION_REFUSED,    /* .ConnectionRefused */
  KONTOR_ERROR_TIMEOUT,               /* .Timeout */
  KONTOR_ERROR_CERTIFICATE_UNTRUSTED, /* .CertificateUntrusted */
  KONTOR_ERROR_TLS_REQUIRED,          /* .TlsRequired */
  KONTOR_ERROR_OFFLINE,               /* .Offline: needs a server that cannot be reached */
} KontorError;

#define KONTOR_ERROR (kontor_error_quark ())

GQuark kontor_error_quark (void);

G_END_DECLS
