/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-mailto.h: the draft a mailto: link (RFC 6068) asks for; GTK-free. */
#pragma once

#include <glib.h>

#include "kontor-mail-draft.h"

G_BEGIN_DECLS

KontorMailDraft *kontor_mail_mailto_parse (const char *uri, GError **error);

G_END_DECLS
