/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-outbox-view.h: the messages waiting in the Outbox, in the Mail window. */
#pragma once

#include <adwaita.h>

#include "kontor-mail-engine.h"

G_BEGIN_DECLS

#define KONTOR_TYPE_MAIL_OUTBOX_VIEW (kontor_mail_outbox_view_get_type ())

G_DECLARE_FINAL_TYPE (KontorMailOutboxView,
                      kontor_mail_outbox_view,
                      KONTOR,
                      MAIL_OUTBOX_VIEW,
                      AdwBin)

KontorMailOutboxView *kontor_mail_outbox_view_new (KontorMailEngine *engine);
guint kontor_mail_outbox_view_get_n_messages (KontorMailOutboxView *self);
gboolean kontor_mail_outbox_view_get_failing (KontorMailOutboxView *self);

G_END_DECLS
