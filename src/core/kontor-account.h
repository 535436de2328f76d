/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-account.h: one account as the UI and D-Bus see it (a snapshot). */
#pragma once

#include <gio/gio.h>

#include "kontor-account-settings.h"

G_BEGIN_DECLS

#define KONTOR_TYPE_ACCOUNT (kontor_account_get_type ())

G_DECLARE_FINAL_TYPE (KontorAccount, kontor_account, KONTOR, ACCOUNT, GObject)

const char *kontor_account_get_id (KontorAccount *self);
const char *kontor_account_get_display_name (KontorAccount *self);
const char *kontor_account_get_email (KontorAccount *self);
const char *kontor_account_get_state (KontorAccount *self);
const char *const *kontor_account_get_services (KontorAccount *self);
const char *const *kontor_account_get_available_services (KontorAccount *self);
gboolean kontor_account_has_service (KontorAccount *self, const char *service);
gboolean kontor_account_get_read_only (KontorAccount *self);
const char *kontor_account_get_manager (KontorAccount *self);
const KontorAccountSettings *kontor_account_get_settings (KontorAccount *self);
GVariant *kontor_account_to_variant (KontorAccount *self);
GVariant *kontor_account_settings_to_variant (const KontorAccountSettings *settings);

G_END_DECLS
